#!/bin/sh
# Draws the app icon (build/icon.png; run from the repository root) at 2048 px and scales it to 1024 (smooth edges). Layout in 1024-px units, scaled by 2.
set -eu
out=${1:-build/icon.png}
k=2
inr="lte(hypot(max(0,max(240*$k-X,X-784*$k)),max(0,max(240*$k-Y,Y-784*$k))),200*$k)"
b1="between(X,170*$k,560*$k)*between(Y,300*$k,400*$k)"
b2="between(X,250*$k,680*$k)*between(Y,462*$k,562*$k)"
b3="between(X,170*$k,520*$k)*between(Y,624*$k,724*$k)"
tri="gte(X,640*$k)*lte(abs(Y-740*$k),(850*$k-X)*120/210)"
t="(X+Y)/(2048*$k)"
ch() { # background start, end, bar1, bar2, bar3 values of one channel; the triangle is white
  echo "if($tri,255,if($b1,$3,if($b2,$4,if($b3,$5,$1+($2-$1)*$t))))"
}
ffmpeg -v error -y -f lavfi -i "color=c=black:s=$((1024*k))x$((1024*k)):d=1,format=rgba" -frames:v 1 \
  -vf "geq=r='$(ch 43 117 255 255 6)':g='$(ch 16 151 107 209 214)':b='$(ch 85 222 107 102 160)':a='255*$inr',scale=1024:1024:flags=lanczos" \
  "$out"
node "$(dirname "$0")/pack-icons.mjs" "$out"

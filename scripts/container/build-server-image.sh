#!/usr/bin/env bash
# Builds the server image from deploy/Containerfile with buildah (chroot isolation: no container runtime needed).
# NODE_IMAGE defaults to the local stand-in from node-base.sh (no image registry is reachable here); pass
# NODE_IMAGE=docker.io/library/node:22-bookworm-slim where one is. Prints the image name on its last line.
#   bash scripts/container/build-server-image.sh [tag]
set -euo pipefail
cd "$(dirname "$0")/../.."
tag=${1:-localhost/vmp-server:latest}
node_image=${NODE_IMAGE:-$(bash scripts/container/node-base.sh | tail -1)}
start=$(date +%s)
buildah bud --isolation chroot --format docker --layers=false --quiet \
  --build-arg NODE_IMAGE="$node_image" -f deploy/Containerfile -t "$tag" . >&2
echo "built $tag on $node_image in $(($(date +%s) - start)) s" >&2
echo "$tag"

// Reports written in each platform's column layout (as their CSV exports name the columns), for tests.

export const META_CSV = [
  '\uFEFFReporting starts,Reporting ends,Ad name,Ad delivery,Amount spent (EUR),Impressions,Reach,Link clicks,CTR (link click-through rate),3-second video plays,Results,Result indicator,Cost per result',
  '2026-11-01,2026-11-07,H1-B1-C1-T1,active,"1.234,50",45000,30000,"1,350",3.00%,"12,000",27,actions:offsite_conversion.fb_pixel_purchase,"45,72"',
  '2026-11-01,2026-11-07,H2-B1-C1-T1 - Copy,active,"€80,00","10,000",8000,100,1.00%,"2,500",2,actions:offsite_conversion.fb_pixel_purchase,"40,00"',
  '2026-11-01,2026-11-07,"Retargeting, old creative",inactive,"12,00",900,800,4,0.44%,,,,',
  '',
].join('\r\n');

export const TIKTOK_CSV = [
  'Ad name,Ad ID,Cost,Impressions,Clicks (destination),CTR (destination),Conversions,Cost per conversion,2-second video views,6-second video views',
  'Summer_H1-B1-C1-T1_tiktok,1789000000001,$210.00,"20,000",500,2.50%,10,$21.00,"9,000","4,000"',
  'H2-B1-C1-T1,1789000000002,$60.00,"8,000",80,1.00%,0,-,"2,000",900',
  '',
].join('\n');

export const MAPPED_CSV = ['Creative;Impr.;Taps;Budget used;Installs', 'H1-B1-C1-T1;5 000;150;75,50;3', ''].join('\n');

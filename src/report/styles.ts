/** The report's stylesheet, inlined: the file must render the same from file:// with no network. */
export const REPORT_CSS = `
:root{--bg:#f4f6fa;--card:#fff;--ink:#182033;--muted:#5f6b7f;--line:#e3e7ee;--accent:#3b5bdb;
--ok:#12a150;--pending:#e8890c;--failed:#e03131;--gone:#8b95a7;--shadow:0 1px 2px rgba(16,24,40,.06),0 4px 16px rgba(16,24,40,.06)}
@media (prefers-color-scheme:dark){:root{--bg:#0f131a;--card:#171c26;--ink:#e6e9ef;--muted:#98a2b3;--line:#2a3140;--shadow:none}}
*{box-sizing:border-box}
[hidden]{display:none!important}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","PingFang SC","Microsoft YaHei",sans-serif}
a{color:var(--accent)}
.top{background:linear-gradient(120deg,#1f2f6b,#3b5bdb 60%,#5c7cfa);color:#fff;padding:28px 0 72px}
.top .wrap{display:flex;flex-wrap:wrap;align-items:flex-end;justify-content:space-between;gap:12px}
.top h1{margin:0;font-size:26px;font-weight:650;letter-spacing:-.01em}
.top .sub{opacity:.85;margin-top:4px}
.top .meta{text-align:right;opacity:.9;font-size:13px}
.wrap{max-width:1320px;margin:0 auto;padding:0 28px}
main.wrap{margin-top:-52px;padding-bottom:48px}
.band{display:grid;grid-template-columns:repeat(auto-fit,minmax(165px,1fr));gap:14px}
.stat{background:var(--card);border-radius:14px;padding:16px 18px;box-shadow:var(--shadow);border-top:4px solid var(--line)}
.stat .k{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.06em;font-weight:600}
.stat .n{font-size:30px;font-weight:680;font-variant-numeric:tabular-nums;line-height:1.2;margin-top:2px}
.stat .d{color:var(--muted);font-size:13px;font-variant-numeric:tabular-nums}
.stat.ok{border-top-color:var(--ok)}.stat.pending{border-top-color:var(--pending)}
.stat.failed{border-top-color:var(--failed)}.stat.gone{border-top-color:var(--gone)}.stat.total{border-top-color:var(--accent)}
.statebar{display:flex;height:14px;border-radius:7px;overflow:hidden;background:var(--line);margin:18px 0 6px}
.statebar span{display:block;height:100%;cursor:pointer}
.legend{display:flex;flex-wrap:wrap;gap:16px;color:var(--muted);font-size:13px}
.dot{display:inline-block;width:10px;height:10px;border-radius:50%;margin-right:6px;vertical-align:baseline}
.c-ok{background:var(--ok)}.c-pending{background:var(--pending)}.c-failed{background:var(--failed)}.c-gone{background:var(--gone)}
section.card{background:var(--card);border-radius:14px;box-shadow:var(--shadow);padding:20px 22px;margin-top:18px}
h2{font-size:17px;margin:0 0 12px;font-weight:650}
h3{font-size:14px;margin:0 0 10px;font-weight:600;color:var(--muted)}
.grid2{display:grid;grid-template-columns:repeat(auto-fit,minmax(440px,1fr));gap:18px;margin-top:18px}
.grid2 section.card{margin-top:0}
.chart{display:block;max-width:620px}
.chart text{font-size:12px;fill:var(--ink);dominant-baseline:middle}
.chart .bar-label{text-anchor:end}
.chart .bar-caption{fill:var(--muted);font-variant-numeric:tabular-nums}
.chart .bar-track{fill:var(--line);opacity:.55}
.chart .clickable{cursor:pointer;outline:none}.chart .clickable:focus-visible .bar-track{stroke:var(--accent);stroke-width:2}.chart .clickable:hover rect:nth-of-type(2),.chart .clickable:focus rect:nth-of-type(2){opacity:.8}
.empty{color:var(--muted)}
.doctypes{display:flex;flex-wrap:wrap;gap:8px;margin-top:10px}
.chip{background:var(--bg);border:1px solid var(--line);border-radius:999px;padding:2px 10px;font-size:12px;color:var(--muted)}
.chip b{color:var(--ink);font-weight:600}
.failures{display:grid;grid-template-columns:repeat(auto-fit,minmax(360px,1fr));gap:14px}
.failure{border:1px solid var(--line);border-left:4px solid var(--failed);border-radius:10px;padding:14px 16px}
.failure .head{display:flex;justify-content:space-between;gap:8px;font-weight:600}.failure .head span:last-child{white-space:nowrap}
.failure .fix{background:rgba(59,91,219,.08);border-radius:8px;padding:8px 10px;margin:10px 0}
.failure ul{margin:6px 0 0;padding-left:18px;color:var(--muted);font-size:13px}
.top .roots{opacity:.85;margin-top:4px;font-size:13px}.top a{color:inherit}
.failure ul.docs{color:var(--ink)}.failure ul.docs .kind,.failure ul.docs .root,.failure ul.docs .more{color:var(--muted)}
.failure details.raw{margin-top:8px;font-size:13px;color:var(--muted)}
.chip.other{border-style:dashed}
.failure .ex{color:var(--muted);font-size:13px;margin-top:6px;overflow-wrap:anywhere}
.ok-note{color:var(--ok);font-weight:600}
.toolbar{display:flex;flex-wrap:wrap;gap:10px;align-items:center;margin-bottom:12px}
.toolbar input,.toolbar select{font:inherit;color:var(--ink);background:var(--card);border:1px solid var(--line);border-radius:8px;padding:7px 10px}
.toolbar input{flex:1 1 280px;min-width:200px}
.toolbar .count{color:var(--muted);margin-left:auto;font-variant-numeric:tabular-nums}
.table{overflow-x:auto;border:1px solid var(--line);border-radius:10px}
.thead,.tr{display:grid;grid-template-columns:minmax(220px,2.4fr) minmax(120px,1fr) 92px 128px 104px minmax(180px,1.6fr) minmax(180px,1.6fr);min-width:1100px}
.thead{background:var(--bg);border-bottom:1px solid var(--line);font-weight:600;font-size:12px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
.thead button{all:unset;cursor:pointer;display:block;padding:9px 10px;white-space:nowrap}
.thead button:focus-visible{outline:2px solid var(--accent)}
.thead [aria-sort=ascending] button::after{content:" ▲"}.thead [aria-sort=descending] button::after{content:" ▼"}
.viewport{max-height:min(68vh,720px);min-width:1100px;overflow-y:auto;position:relative}
.spacer{position:relative}
.rows{position:absolute;top:0;left:0;right:0;will-change:transform}
.tr{height:34px;border-bottom:1px solid var(--line);align-items:center}
.tr:hover{background:rgba(59,91,219,.05)}
.td{padding:0 10px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.td.num{text-align:right;font-variant-numeric:tabular-nums}
.td.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px;color:var(--muted)}
.pill{display:inline-block;border-radius:999px;padding:1px 9px;font-size:12px;font-weight:600;color:#fff}
.pill.s0{background:var(--ok)}.pill.s1{background:var(--pending)}.pill.s2{background:var(--failed)}.pill.s3{background:var(--gone)}
.no-rows{padding:24px;color:var(--muted);text-align:center}
.about dl{display:grid;grid-template-columns:max-content 1fr;gap:6px 18px;margin:0}
.about dt{color:var(--muted)}.about dd{margin:0;overflow-wrap:anywhere}
table.runs{border-collapse:collapse;width:100%;font-size:13px;margin-top:14px}
table.runs th,table.runs td{text-align:left;padding:6px 10px;border-bottom:1px solid var(--line)}
table.runs th{color:var(--muted);font-weight:600}
footer{color:var(--muted);font-size:12px;text-align:center;padding:8px 0 32px}
@media print{
.viewport{max-height:none;overflow:visible;min-width:0}
.spacer{height:auto!important}
.rows{position:static;transform:none!important}
.toolbar,noscript{display:none}
.tr{break-inside:avoid}
.failure details.raw>*{display:block}
}
`;

"""The report's fixed style sheet, content security policy and chart-drawing script."""

from __future__ import annotations

__all__ = ["CSP", "CSS", "DRAW_JS"]
# Draw every chart with the inlined Vega runtime; record success on the element so that a
# test (or a reader's console) can tell a drawn chart from a failed one.
DRAW_JS = """
(function () {
  var nodes = document.querySelectorAll('div.chart[data-chart]');
  var pending = [];
  nodes.forEach(function (node) {
    var name = node.getAttribute('data-chart');
    var spec = JSON.parse(document.getElementById('spec-' + name).textContent);
    var options = {mode: 'vega', renderer: 'svg', actions: false};
    pending.push(vegaEmbed(node, spec, options).then(function () {
      node.setAttribute('data-rendered', 'true');
    }, function (error) {
      node.setAttribute('data-rendered', 'error');
      console.error('chart ' + name + ' failed: ' + error);
    }));
  });
  Promise.all(pending).then(function () {
    document.body.setAttribute('data-charts-done', String(nodes.length));
  });
})();
"""

# Nothing may be fetched: scripts and styles are inline; Vega compiles expressions with Function().
CSP = ("default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; "
        "img-src data:")

CSS = """
:root { --ink:#1d232a; --muted:#5b6570; --line:#d8dde3; --yes:#1b7f3b; --no:#b3261e; --open:#9a6b00; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
       margin: 0 auto; max-width: 1000px; padding: 1.5rem; }
header h1 { margin: 0 0 .2rem; font-size: 1.7rem; }
.meta, .small, figcaption { color: var(--muted); font-size: .85rem; }
.lead { font-size: 1.05rem; }
nav { display: flex; flex-wrap: wrap; gap: .4rem 1rem; border-bottom: 1px solid var(--line);
      padding-bottom: .6rem; }
nav a { color: #2b5c8a; text-decoration: none; font-size: .9rem; }
section { margin-top: 2rem; }
h2 { border-bottom: 2px solid var(--line); padding-bottom: .2rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .9rem; }
th, td { border-bottom: 1px solid var(--line); padding: .3rem .4rem; text-align: left; vertical-align: top; }
th { background: #f3f5f7; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
code { font-size: .85em; background: #f3f5f7; padding: 0 .2em; border-radius: 3px; }
ol.options { margin: 0; padding-left: 1.3rem; }
.verdict { font-weight: 600; }
.yes { color: var(--yes); } .no { color: var(--no); } .open { color: var(--open); }
.deal { font-weight: 600; }
.gain { margin-right: .6rem; font-variant-numeric: tabular-nums; }
.bar { position: relative; display: inline-block; width: 140px; height: 12px; background: #eceff2;
       border-radius: 2px; vertical-align: middle; }
.bar .lo { position: absolute; left: 0; top: 0; bottom: 0; background: #4e79a7; }
.bar .hi { position: absolute; top: 0; bottom: 0; background: #a9c2dc; }
.bar .res { position: absolute; top: -3px; bottom: -3px; width: 2px; background: #000; }
.version { border-left: 3px solid var(--line); padding-left: .8rem; margin: 1.2rem 0; }
.note { background: #fff8e1; border-left: 3px solid #e0b000; padding: .4rem .7rem; }
figure { margin: 1rem 0; }
.chart { overflow-x: auto; }
.grid { display: flex; flex-wrap: wrap; gap: 1rem; }
.url { word-break: break-all; }
footer { margin-top: 3rem; border-top: 2px solid var(--line); }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  nav { display: none; }
  figure, .version, table { break-inside: avoid; }
  details > summary { list-style: none; }
}
"""

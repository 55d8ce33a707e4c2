// The script inside a rendered summary page (testkit/summary-render.ts), kept as source text
// because it runs in Chromium, not Node (the project's TypeScript has no DOM types). It does
// what github.com does after its Markdown pipeline, then measures what a reader would see:
// 1. Sanitize: the rendered HTML is parsed by DOMParser (inert: no script runs, nothing loads)
//    and kept only where GitHub's allowlist keeps it (html-pipeline's SanitizationFilter: its
//    elements, its attributes, http/https/mailto/relative links). So `style`, `class`, `on*`
//    and <script> from our own output are dropped here as GitHub drops them, and cannot fool the
//    measurements.
// 2. Mermaid: each <pre lang="mermaid"> becomes its SVG, which (mermaid's default useMaxWidth)
//    is 100% wide up to its natural width: wider graphs are scaled down to the column, as on GitHub.
// 3. Measure each summary (a page may hold several, each in its own column), and write the
//    results as a JSON array into <pre id="measure">: tables' scroll widths, where the probe
//    texts first render (not folded in a closed <details>) and whether the cell or paragraph
//    holding them is inside the visible column, each chart's scale and its smallest text in
//    effective px. `<`, `>` and `&` are written as \u escapes, so the JSON reads back from
//    --dump-dom unchanged.

export const PAGE_SCRIPT = String.raw`
(async () => {
  const results = [];
  const write = () => {
    const json = JSON.stringify(results).replace(/[<>&]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
    document.getElementById('measure').textContent = json;
  };
  const data = JSON.parse(document.getElementById('summary-data').textContent);
  // Each summary in a column of its own, one under the other; all laid out before any is measured.
  const columns = data.summaries.map((s, i) => {
    const column = document.createElement('main');
    column.className = 'markdown-body';
    column.id = 'summary-' + i;
    document.getElementById('summaries').append(column);
    return column;
  });
  for (const [i, s] of data.summaries.entries()) {
    const out = { column: 0, viewport: { width: innerWidth, height: innerHeight }, pageHeight: 0, columnScrollWidth: 0, tables: [], probes: {}, firstRowSecondCell: null, charts: [], errors: [] };
    results.push(out);
    try {
      columns[i].replaceChildren(...sanitize(s.html));
      await renderMermaid(columns[i], i, out.errors);
    } catch (e) {
      out.errors.push(String(e && e.stack || e));
    }
  }
  for (const [i, s] of data.summaries.entries()) {
    const out = results[i], column = columns[i];
    try {
      const colRect = column.getBoundingClientRect();
      out.column = colRect.width;
      out.columnScrollWidth = column.scrollWidth;
      out.pageHeight = Math.ceil(colRect.height);
      out.tables = [...column.querySelectorAll('table')].map((t, index) => ({
        index,
        header: [...t.querySelectorAll('thead th')].map((th) => th.textContent.trim()).join(' | '),
        rows: t.querySelectorAll('tbody tr').length,
        scrollWidth: t.scrollWidth,
        clientWidth: t.clientWidth,
      }));
      for (const [name, needles] of Object.entries(s.probes)) out.probes[name] = probe(column, colRect, needles);
      const cell = column.querySelector('table tbody tr td:nth-child(2)');
      if (cell) out.firstRowSecondCell = { text: cell.textContent.trim().slice(0, 200), ...visibility(cell.getClientRects(), cell, colRect) };
      out.charts = [...column.querySelectorAll('.mermaid-chart svg')].map(chart);
    } catch (e) {
      out.errors.push(String(e && e.stack || e));
    }
  }
  write();

  function sanitize(html) {
    const ELEMENTS = new Set('h1 h2 h3 h4 h5 h6 h7 h8 br b i strong em a pre code img tt div ins del sup sub p ol ul table thead tbody tfoot blockquote dl dt dd kbd q samp var hr ruby rt rp li tr td th s strike summary details caption figure figcaption abbr bdo cite dfn mark small span time wbr input'.split(' '));
    const ANY = new Set('abbr accept accept-charset accesskey action align alt aria-describedby aria-hidden aria-label aria-labelledby axis border cellpadding cellspacing char charoff charset checked clear cols colspan color compact coords datetime dir disabled enctype for frame headers height hreflang hspace ismap label lang maxlength media method multiple name nohref noshade nowrap open progress prompt readonly rel rev role rows rowspan rules scope selected shape size span start summary tabindex target title type usemap valign value vspace width itemprop'.split(' '));
    const PER = { a: ['href'], img: ['src', 'longdesc'], div: ['itemscope', 'itemtype'], blockquote: ['cite'], del: ['cite'], ins: ['cite'], q: ['cite'] };
    const URLS = { href: /^(https?:|mailto:|#|\/|\.|[^:]*$)/i, src: /^(https?:|\/|\.|[^:]*$)/i, longdesc: /^(https?:|\/|\.|[^:]*$)/i, cite: /^(https?:|\/|\.|[^:]*$)/i };
    // Dropped with their content, as GitHub does; any other unknown element is unwrapped.
    const REMOVE = new Set(['script', 'style', 'iframe', 'object', 'embed', 'template', 'noscript', 'svg', 'math']);
    const doc = new DOMParser().parseFromString('<body>' + html, 'text/html');
    const clean = (node) => {
      for (const child of [...node.childNodes]) {
        if (child.nodeType === Node.COMMENT_NODE) { child.remove(); continue; }
        if (child.nodeType !== Node.ELEMENT_NODE) continue;
        const tag = child.localName;
        if (REMOVE.has(tag)) { child.remove(); continue; }
        clean(child);
        if (!ELEMENTS.has(tag)) { child.replaceWith(...child.childNodes); continue; }
        for (const attr of [...child.attributes]) {
          const allowed = ANY.has(attr.name) || (PER[tag] || []).includes(attr.name);
          const url = URLS[attr.name];
          if (!allowed || (url && (tag === 'a' || tag === 'img' || attr.name === 'cite') && !url.test(attr.value.trim()))) child.removeAttribute(attr.name);
        }
      }
    };
    clean(doc.body);
    return [...doc.body.childNodes].map((n) => document.adoptNode(n));
  }

  async function renderMermaid(root, summary, errors) {
    mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
    let n = 0;
    for (const pre of [...root.querySelectorAll('pre[lang="mermaid"]')]) {
      const box = document.createElement('div');
      box.className = 'mermaid-chart';
      const id = 'mermaid-' + summary + '-' + n++;
      try {
        const { svg } = await mermaid.render(id, pre.textContent);
        box.innerHTML = svg;
      } catch (e) {
        // GitHub shows the error in place of the chart; the test reports it.
        box.className = 'mermaid-error';
        box.textContent = 'Unable to render rich display: ' + String(e && e.message || e);
        errors.push('mermaid ' + id + ': ' + String(e && e.message || e));
        document.getElementById('d' + id)?.remove();
      }
      pre.replaceWith(box);
    }
  }

  // Where the visible part of an element's line boxes ends: the column, narrowed by every
  // scrolling ancestor (a table is display:block with overflow:auto), all scrolled to the start.
  function visibility(rects, el, colRect) {
    let left = colRect.left, right = colRect.right;
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (s.overflowX !== 'visible') {
        const r = a.getBoundingClientRect();
        left = Math.max(left, r.left + a.clientLeft);
        right = Math.min(right, r.left + a.clientLeft + a.clientWidth);
      }
    }
    const boxes = [...rects].filter((r) => r.width > 0 && r.height > 0);
    if (boxes.length === 0) return { rendered: false, visible: false, left: 0, right: 0, top: 0, visibleRight: right - colRect.left };
    const minLeft = Math.min(...boxes.map((r) => r.left));
    const maxRight = Math.max(...boxes.map((r) => r.right));
    return {
      rendered: true,
      visible: minLeft >= left - 0.5 && maxRight <= right + 0.5,
      left: Math.round(minLeft - colRect.left),
      right: Math.round(maxRight - colRect.left),
      top: Math.round(Math.min(...boxes.map((r) => r.top)) - colRect.top),
      visibleRight: Math.round(right - colRect.left),
    };
  }

  // The first occurrence of any needle that renders (not inside a closed <details>, not in a
  // chart), by document order, and whether the block holding it is in view without scrolling sideways.
  function probe(root, colRect, needles) {
    const nodes = [], starts = [];
    let text = '';
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, { acceptNode: (n) => n.parentElement.closest('svg, .mermaid-chart') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT });
    for (let n = walker.nextNode(); n; n = walker.nextNode()) { nodes.push(n); starts.push(text.length); text += n.data; }
    const at = (offset) => {
      let i = starts.length - 1;
      while (i > 0 && starts[i] > offset) i--;
      return [nodes[i], offset - starts[i]];
    };
    const hits = [];
    for (const needle of needles) {
      for (let i = text.indexOf(needle); i >= 0 && needle; i = text.indexOf(needle, i + 1)) hits.push({ i, needle });
    }
    hits.sort((a, b) => a.i - b.i);
    for (const { i, needle } of hits) {
      const range = document.createRange();
      range.setStart(...at(i));
      const [endNode, endOffset] = at(i + needle.length - 1);
      range.setEnd(endNode, endOffset + 1);
      // The whole cell, list item or paragraph holding it must be in view, not only the word.
      const el = range.startContainer.parentElement;
      const block = el.closest('td, th, li, p, summary, h1, h2, h3, h4, h5, h6, dt, dd, blockquote, pre');
      if (folded(range.startContainer) || !(block || el).checkVisibility()) continue;
      const v = visibility(block ? block.getClientRects() : range.getClientRects(), block || el, colRect);
      if (v.rendered) return { found: true, needle, ...v };
    }
    return { found: hits.length > 0, needle: null, rendered: false, visible: false, left: 0, right: 0, top: 0, visibleRight: 0 };
  }

  // Inside a closed <details> and not its <summary>: Chromium still gives such text boxes.
  function folded(node) {
    const summary = node.parentElement.closest('summary');
    for (let d = node.parentElement.closest('details'); d; d = d.parentElement ? d.parentElement.closest('details') : null) {
      if (!d.open && !(summary && summary.parentElement === d)) return true;
    }
    return false;
  }

  function chart(svg, index) {
    const intrinsic = svg.viewBox.baseVal ? svg.viewBox.baseVal.width : 0;
    const rendered = svg.getBoundingClientRect().width;
    const scale = intrinsic > 0 ? rendered / intrinsic : 1;
    let minFontPx = Infinity, minText = '', texts = 0;
    const walker = document.createTreeWalker(svg, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (!n.data.trim() || n.parentElement.closest('style')) continue;
      texts++;
      const px = parseFloat(getComputedStyle(n.parentElement).fontSize) * scale;
      if (px < minFontPx) { minFontPx = px; minText = n.data.trim().slice(0, 120); }
    }
    return { index, intrinsicWidth: Math.round(intrinsic), renderedWidth: Math.round(rendered), renderedHeight: Math.round(svg.getBoundingClientRect().height), scale: Math.round(scale * 1000) / 1000, texts, minFontPx: texts ? Math.round(minFontPx * 10) / 10 : 0, minText };
  }
})();
`;

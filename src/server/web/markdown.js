// A small, safe Markdown renderer for the interviewer's replies and the scorecard's narrative.
//
// Safety comes first and from one rule: the whole input is HTML-escaped (& < > " ') before any
// Markdown is looked at, so no tag or attribute of the input can reach the page. The only markup in
// the output is what this module writes itself: p, br, strong, em, code, pre, ul, ol, li, h3-h6,
// hr, and a for http(s) links (every other link keeps its text and loses its target).
//
// Supported: paragraphs (a blank line separates them; a single newline is a line break), **bold**,
// __bold__, *italic*, _italic_, `inline code`, fenced code blocks (``` or ~~~), bullet lists (- * +),
// numbered lists (1. or 1)), nested lists by indentation, headings (# to ######), rules (---).

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes the five HTML-significant characters. */
export function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (character) => ESCAPES[character]);
}

const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})[ \t]*([\w+#.-]*)[^`]*$/;
const HEADING = /^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/;
const RULE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const LIST_ITEM = /^( *)([-*+]|\d{1,9}[.)])[ \t]+(.*)$/;
// Placeholders for finished inline HTML (code spans, links): NUL cannot occur in the input, it is removed.
const PLACEHOLDER = /\u0000(\d+)\u0000/g;

const isBlank = (line) => line.trim() === '';
const indentOf = (line) => line.length - line.trimStart().length;
const isOrderedMarker = (marker) => /\d/.test(marker);
const startsBlock = (line) => FENCE_OPEN.test(line) || HEADING.test(line) || RULE.test(line) || LIST_ITEM.test(line);

/**
 * Renders Markdown to safe HTML. Headings are shifted down by `headingOffset` levels (default 2:
 * `#` becomes h3) so that a message's headings sit below the page's own.
 */
export function renderMarkdown(text, { headingOffset = 2 } = {}) {
  if (text === null || text === undefined) return '';
  const source = String(text).replace(/\u0000/g, '').replace(/\r\n?/g, '\n').replace(/\t/g, '    ');
  const lines = escapeHtml(source).split('\n');
  return renderBlocks(lines, headingOffset).join('\n');
}

function renderBlocks(lines, headingOffset) {
  const html = [];
  let index = 0;
  while (index < lines.length) {
    const line = lines[index];
    if (isBlank(line)) {
      index += 1;
      continue;
    }
    const fence = FENCE_OPEN.exec(line);
    if (fence) {
      const { block, next } = renderFencedCode(lines, index, fence);
      html.push(block);
      index = next;
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      const level = Math.min(6, Math.max(1, heading[1].length + headingOffset));
      html.push(`<h${level}>${renderInline(heading[2])}</h${level}>`);
      index += 1;
      continue;
    }
    if (RULE.test(line)) {
      html.push('<hr>');
      index += 1;
      continue;
    }
    if (LIST_ITEM.test(line)) {
      const { block, next } = renderList(lines, index);
      html.push(block);
      index = next;
      continue;
    }
    const paragraph = [];
    while (index < lines.length && !isBlank(lines[index]) && (paragraph.length === 0 || !startsBlock(lines[index]))) {
      paragraph.push(lines[index].trim());
      index += 1;
    }
    html.push(`<p>${paragraph.map(renderInline).join('<br>\n')}</p>`);
  }
  return html;
}

function renderFencedCode(lines, start, fence) {
  const marker = fence[1];
  const language = fence[2];
  const body = [];
  let index = start + 1;
  while (index < lines.length) {
    const trimmed = lines[index].trim();
    if (trimmed.length >= marker.length && [...trimmed].every((character) => character === marker[0])) {
      index += 1;
      break;
    }
    body.push(lines[index]);
    index += 1;
  }
  const languageClass = language ? ` class="language-${language}"` : '';
  return { block: `<pre><code${languageClass}>${body.join('\n')}</code></pre>`, next: index };
}

/** Renders one list starting at `start`, with deeper-indented items as nested lists. */
function renderList(lines, start) {
  const first = LIST_ITEM.exec(lines[start]);
  const baseIndent = first[1].length;
  const ordered = isOrderedMarker(first[2]);
  const items = [];
  let index = start;
  while (index < lines.length) {
    const line = lines[index];
    const item = LIST_ITEM.exec(line);
    if (item && item[1].length <= baseIndent + 1 && item[1].length >= baseIndent) {
      if (isOrderedMarker(item[2]) !== ordered) break;
      items.push({ lines: [item[3].trim()], children: [] });
      index += 1;
    } else if (item && item[1].length > baseIndent + 1) {
      const nested = renderList(lines, index);
      items[items.length - 1].children.push(nested.block);
      index = nested.next;
    } else if (item) {
      break; // a shallower item belongs to an enclosing list
    } else if (isBlank(line)) {
      let next = index + 1;
      while (next < lines.length && isBlank(lines[next])) next += 1;
      const following = lines[next];
      const continues = following !== undefined && (indentOf(following) > baseIndent + 1 || (LIST_ITEM.test(following) && indentOf(following) >= baseIndent));
      if (!continues) break;
      index = next;
    } else if (indentOf(line) > baseIndent || !startsBlock(line)) {
      items[items.length - 1].lines.push(line.trim());
      index += 1;
    } else {
      break;
    }
  }
  const tag = ordered ? 'ol' : 'ul';
  const startNumber = ordered ? Number.parseInt(first[2], 10) : 1;
  const startAttribute = ordered && startNumber !== 1 ? ` start="${startNumber}"` : '';
  const body = items.map((entry) => `<li>${entry.lines.map(renderInline).join('<br>\n')}${entry.children.join('')}</li>`).join('');
  return { block: `<${tag}${startAttribute}>${body}</${tag}>`, next: index };
}

/** Inline syntax on already-escaped text: code spans, http(s) links, bold, italic. */
function renderInline(text) {
  const tokens = [];
  const hold = (html) => `\u0000${tokens.push(html) - 1}\u0000`;
  let result = text.replace(/(`+)([\s\S]+?)\1(?!`)/g, (_, ticks, code) => hold(`<code>${code.trim() === '' ? code : code.trim()}</code>`));
  result = result.replace(/\[([^\]\n]+)\]\(([^)\s]*)\)/g, (_, label, url) => {
    if (/^https?:\/\/[^\s]+$/i.test(url)) return hold(`<a href="${url}" rel="noopener noreferrer nofollow" target="_blank">${renderEmphasis(label)}</a>`);
    return label; // any other scheme (javascript:, data:, relative...) keeps only its text
  });
  result = renderEmphasis(result);
  const restore = (html) => html.replace(PLACEHOLDER, (_, position) => restore(tokens[Number(position)]));
  return restore(result);
}

function renderEmphasis(text) {
  return text
    .replace(/\*\*\*(?=[^\s*])([\s\S]*?[^\s*])\*\*\*/g, '<em><strong>$1</strong></em>')
    .replace(/\*\*(?=\S)([\s\S]*?\S)\*\*/g, '<strong>$1</strong>')
    .replace(/(?<![\w_])__(?=\S)([\s\S]*?\S)__(?![\w_])/g, '<strong>$1</strong>')
    .replace(/(?<![*\w])\*(?=[^\s*])([^*\n]*?[^\s*])\*(?![*\w])/g, '<em>$1</em>')
    .replace(/(?<![\w_])_(?=[^\s_])([^_\n]*?[^\s_])_(?![\w_])/g, '<em>$1</em>');
}

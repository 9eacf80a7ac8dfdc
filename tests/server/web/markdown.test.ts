import { describe, it, expect } from 'vitest';
// @ts-ignore -- a plain browser ES module without type declarations; the tests pin its behaviour.
import { renderMarkdown, escapeHtml } from '../../../src/server/web/markdown.js';

const render = renderMarkdown as (text: string, options?: { headingOffset?: number }) => string;

/** Every tag the renderer may write, and the only attributes it may put on them. */
const ALLOWED_TAGS = new Set(['p', 'br', 'strong', 'em', 'code', 'pre', 'ul', 'ol', 'li', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'a']);
const ALLOWED_ATTRIBUTES: Record<string, Set<string>> = { a: new Set(['href', 'rel', 'target']), code: new Set(['class']), ol: new Set(['start']) };

/** Fails the test if the HTML has any tag or attribute the renderer is not meant to write. */
function expectOnlySafeMarkup(html: string): void {
  for (const match of html.matchAll(/<\/?([a-zA-Z][\w-]*)([^>]*)>/g)) {
    const tag = match[1]!.toLowerCase();
    expect(ALLOWED_TAGS.has(tag), `unexpected tag <${tag}> in ${html}`).toBe(true);
    const attributes = [...match[2]!.matchAll(/([^\s=]+)\s*=\s*"([^"]*)"/g)];
    const attributeText = match[2]!.replace(/([^\s=]+)\s*=\s*"([^"]*)"/g, '').trim();
    expect(attributeText, `unquoted attribute text in ${match[0]}`).toBe('');
    for (const [, name, value] of attributes) {
      expect(ALLOWED_ATTRIBUTES[tag]?.has(name!.toLowerCase()), `unexpected attribute ${name} on <${tag}>`).toBe(true);
      if (name === 'href') expect(value).toMatch(/^https?:\/\//i);
      if (name === 'class') expect(value).toMatch(/^language-[\w+#.-]+$/);
    }
  }
}

const HOSTILE_INPUTS = [
  '<script>alert(1)</script>',
  '<SCRIPT SRC=//evil.example/x.js></SCRIPT>',
  '<img src=x onerror=alert(1)>',
  '<svg onload="alert(1)"><a onclick=\'x()\'>hi</a></svg>',
  '"><img src=x onerror=alert(1)>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '[click](javascript:alert(1))',
  '[click](JaVaScRiPt:alert(1))',
  '[click](  javascript:alert(1))',
  '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '[click](https://example.com" onmouseover="alert(1))',
  '[x](https://example.com/"onmouseover="alert(1))',
  '**<b onmouseover=alert(1)>bold</b>**',
  '`<script>alert(1)</script>`',
  '```html" onmouseover="alert(1)\n<script>alert(1)</script>\n```',
  '# <img src=x onerror=alert(1)>',
  '- <a href="javascript:alert(1)">item</a>\n- two',
  '1. <style>body{display:none}</style>',
  '&lt;script&gt; already escaped &amp; stays literal',
  'nul \u0000 0\u0000 placeholder injection',
];

describe('renderMarkdown: safety', () => {
  it('escapes all five HTML-significant characters', () => {
    expect(escapeHtml(`& < > " '`)).toBe('&amp; &lt; &gt; &quot; &#39;');
    expect(render(`a & b < c > d " e ' f`)).toBe('<p>a &amp; b &lt; c &gt; d &quot; e &#39; f</p>');
  });

  it('neutralises script tags', () => {
    const html = render('Hello <script>alert("x")</script> there');
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
  });

  it('neutralises script tags inside code, headings and lists', () => {
    for (const input of ['`<script>x</script>`', '```\n<script>x</script>\n```', '## <script>x</script>', '- <script>x</script>']) {
      const html = render(input);
      expect(html).not.toMatch(/<script/i);
      expect(html).toContain('&lt;script&gt;x&lt;/script&gt;');
    }
  });

  it('neutralises event-handler attributes', () => {
    for (const input of ['<img src=x onerror=alert(1)>', '<div onclick="steal()">x</div>', '<svg/onload=alert(1)>', '"><body onload=alert(1)>']) {
      const html = render(input);
      expect(html).not.toMatch(/<(img|div|svg|body)/i);
      expect(html).not.toMatch(/<[^>]*\son\w+\s*=/i);
      expectOnlySafeMarkup(html);
    }
  });

  it('does not turn javascript: (or any non-http) links into anchors', () => {
    for (const scheme of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'vbscript:msgbox(1)', 'data:text/html,<script>alert(1)</script>', '/relative/path', '#turn-1']) {
      const html = render(`see [the docs](${scheme}) now`);
      expect(html).not.toContain('<a');
      expect(html).not.toMatch(/href=/i);
      expect(html).toContain('the docs');
    }
  });

  it('does not let a raw HTML anchor with a javascript: href through', () => {
    const html = render('<a href="javascript:alert(1)">x</a>');
    expect(html).not.toContain('<a');
    expect(html).toContain('&lt;a href=&quot;javascript:alert(1)&quot;&gt;x&lt;/a&gt;');
  });

  it('renders http(s) links safely, and cannot be broken out of their attribute', () => {
    expect(render('[guide](https://example.com/a?b=1&c=2)')).toBe(
      '<p><a href="https://example.com/a?b=1&amp;c=2" rel="noopener noreferrer nofollow" target="_blank">guide</a></p>',
    );
    const html = render('[x](https://example.com/"onmouseover="alert(1))');
    expect(html).not.toMatch(/\sonmouseover=/i);
    expectOnlySafeMarkup(html);
  });

  it('writes only its own tags and attributes, whatever the input', () => {
    for (const input of HOSTILE_INPUTS) expectOnlySafeMarkup(render(input));
  });

  it('never lets a NUL-based placeholder reach the output', () => {
    const html = render('a \u00000\u0000 b `code` c');
    expect(html).not.toContain('\u0000');
    expect(html).toBe('<p>a 0 b <code>code</code> c</p>');
  });

  it('returns an empty string for empty input', () => {
    expect(render('')).toBe('');
    expect(render('   \n\n ')).toBe('');
    expect((renderMarkdown as (text: unknown) => string)(undefined)).toBe('');
  });
});

describe('renderMarkdown: syntax', () => {
  it('renders paragraphs separated by blank lines, and single newlines as line breaks', () => {
    expect(render('First line\nsecond line\n\nNew paragraph')).toBe('<p>First line<br>\nsecond line</p>\n<p>New paragraph</p>');
  });

  it('renders bold and italic', () => {
    expect(render('This is **bold** and *italic*.')).toBe('<p>This is <strong>bold</strong> and <em>italic</em>.</p>');
    expect(render('__also bold__ and _also italic_')).toBe('<p><strong>also bold</strong> and <em>also italic</em></p>');
    expect(render('***both***')).toBe('<p><em><strong>both</strong></em></p>');
  });

  it('leaves snake_case identifiers and arithmetic alone', () => {
    expect(render('use user_id_hash and 2*3*4')).toBe('<p>use user_id_hash and 2*3*4</p>');
  });

  it('renders inline code without interpreting Markdown inside it', () => {
    expect(render('call `top_k(**kwargs)` now')).toBe('<p>call <code>top_k(**kwargs)</code> now</p>');
  });

  it('renders fenced code blocks, escaped and verbatim, with a language class', () => {
    const html = render('Before\n\n```python\ndef f(x):\n    return x < 1 and **x**\n```\n\nAfter');
    expect(html).toBe('<p>Before</p>\n<pre><code class="language-python">def f(x):\n    return x &lt; 1 and **x**</code></pre>\n<p>After</p>');
    expect(render('~~~\nplain\n~~~')).toBe('<pre><code>plain</code></pre>');
  });

  it('keeps an unclosed fence as code to the end', () => {
    expect(render('```\nstill code\n# not a heading')).toBe('<pre><code>still code\n# not a heading</code></pre>');
  });

  it('renders bullet lists, with inline syntax in items', () => {
    expect(render('Options:\n- **recall** first\n- then `rank`\n* and *re-rank*')).toBe(
      '<p>Options:</p>\n<ul><li><strong>recall</strong> first</li><li>then <code>rank</code></li><li>and <em>re-rank</em></li></ul>',
    );
  });

  it('renders numbered lists, keeping a start number other than 1', () => {
    expect(render('1. Clarify\n2. Design\n3. Deep dive')).toBe('<ol><li>Clarify</li><li>Design</li><li>Deep dive</li></ol>');
    expect(render('3) three\n4) four')).toBe('<ol start="3"><li>three</li><li>four</li></ol>');
  });

  it('renders nested lists and loose lists', () => {
    expect(render('- a\n  - a1\n  - a2\n- b')).toBe('<ul><li>a<ul><li>a1</li><li>a2</li></ul></li><li>b</li></ul>');
    expect(render('1. one\n\n2. two\n\nAfter')).toBe('<ol><li>one</li><li>two</li></ol>\n<p>After</p>');
  });

  it('renders headings, shifted below the page headings by default', () => {
    expect(render('# Title\n## Section\n###### Deep')).toBe('<h3>Title</h3>\n<h4>Section</h4>\n<h6>Deep</h6>');
    expect(render('# Title', { headingOffset: 0 })).toBe('<h1>Title</h1>');
    expect(render('#hashtag')).toBe('<p>#hashtag</p>');
  });

  it('renders a horizontal rule', () => {
    expect(render('above\n\n---\n\nbelow')).toBe('<p>above</p>\n<hr>\n<p>below</p>');
  });

  it('renders a realistic interviewer reply', () => {
    const html = render(
      "Good start. Let's go deeper on **retrieval**:\n\n1. How would you build the *candidate* set?\n2. What's your latency budget for `ANN` lookups?\n\n```\nrecall@k = hits / k\n```",
    );
    expect(html).toContain('<strong>retrieval</strong>');
    expect(html).toContain('<ol><li>How would you build the <em>candidate</em> set?</li><li>What&#39;s your latency budget for <code>ANN</code> lookups?</li></ol>');
    expect(html).toContain('<pre><code>recall@k = hits / k</code></pre>');
    expectOnlySafeMarkup(html);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEURISTIC_NOTE } from '../../../src/evaluator/render/render-markdown.ts';
import { evaluateOffline, loadLabelled } from '../../evaluator/helpers.ts';

/** Just enough of the DOM for dom.js's `el`: elements with attributes, children and their text. */
class FakeElement {
  readonly attributes = new Map<string, string>();
  readonly children: (FakeElement | string)[] = [];
  className = '';
  innerHTML = '';
  readonly tag: string;
  constructor(tag: string) {
    this.tag = tag;
  }
  setAttribute(name: string, value: string): void {
    this.attributes.set(name, value);
  }
  append(...children: (FakeElement | string)[]): void {
    this.children.push(...children);
  }
  get textContent(): string {
    return this.children.map((child) => (typeof child === 'string' ? child : child.textContent)).join('');
  }
}

const globals = globalThis as { document?: unknown };
beforeAll(() => {
  globals.document = { createElement: (tag: string) => new FakeElement(tag) };
});
afterAll(() => {
  delete globals.document;
});

describe("the web page's scorecard view", () => {
  it('says the reports\' sentence word for word', async () => {
    // @ts-ignore -- a plain browser ES module without type declarations
    const view = await import('../../../src/server/web/scorecard-view.js');
    expect(view.HEURISTIC_NOTE).toBe(HEURISTIC_NOTE);
  });

  it('puts it first under the heading of a heuristic scorecard, and nowhere on a model\'s', async () => {
    // @ts-ignore -- a plain browser ES module without type declarations
    const { renderScorecard } = await import('../../../src/server/web/scorecard-view.js');
    const { scorecard } = await evaluateOffline(loadLabelled('anomaly-strong.json'));
    const section = renderScorecard(scorecard) as FakeElement;
    const [heading, first] = section.children as FakeElement[];
    expect(heading?.tag).toBe('h2');
    expect(first?.textContent).toBe(HEURISTIC_NOTE);
    const byModel = renderScorecard({ ...scorecard, meta: { ...scorecard.meta, heuristic: false } }) as FakeElement;
    expect(byModel.textContent).not.toContain('offline heuristic');
  });
});

import type { Transcript } from '../../transcript/transcript.ts';
import type { Scorecard } from '../scorecard.ts';
import { renderHtml } from './render-html.ts';
import { renderMarkdown, type ReportOptions } from './render-markdown.ts';

/** The formats a scorecard can be written in: the raw JSON, a Markdown report, or a self-contained HTML page. */
export type ReportFormat = 'json' | 'md' | 'html';

/** Renders a scorecard in the asked format. The transcript is the one the evaluator saw; the reports cite and show it. */
export function renderScorecard(format: ReportFormat, scorecard: Scorecard, transcript: Transcript, options: ReportOptions = {}): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(scorecard, null, 2)}\n`;
    case 'md':
      return renderMarkdown(scorecard, transcript, options);
    case 'html':
      return renderHtml(scorecard, transcript, options);
    default: {
      const unreachable: never = format;
      throw new Error(`unknown report format: ${String(unreachable)}`);
    }
  }
}

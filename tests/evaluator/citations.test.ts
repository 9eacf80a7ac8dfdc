import { describe, expect, it } from 'vitest';
import { checkCitation, checkCitations, describeCitationProblem, normaliseForQuote, type CitationProblem } from '../../src/evaluator/citations.ts';
import type { Evidence } from '../../src/evaluator/scorecard.ts';
import { transcriptOf } from './helpers.ts';

const transcript = transcriptOf([
  ['interviewer', 'Where would you like to start? Please say "I would split by time" if you agree.'],
  ['candidate', 'I’d split the data by time — not by user — because chargebacks arrive “weeks” later.\nThen   I would    calibrate the scores…'],
  ['interviewer', 'How would you serve it?'],
  ['candidate', 'A feature store keeps online and offline features consistent.'],
]);

const evidence = (turnId: number, quote: string): Evidence => ({ turnId, quote, polarity: 'positive', note: '' });

describe('checkCitation', () => {
  it('accepts a quote copied verbatim from the candidate turn it cites', () => {
    expect(checkCitation(transcript, evidence(4, 'A feature store keeps online and offline features consistent.'))).toBeNull();
    expect(checkCitation(transcript, evidence(4, 'keeps online and offline features'))).toBeNull();
  });

  it('ignores differences in white space, line breaks included', () => {
    expect(checkCitation(transcript, evidence(2, 'later. Then I would calibrate the scores'))).toBeNull();
    expect(checkCitation(transcript, evidence(2, '  Then I would\tcalibrate  '))).toBeNull();
  });

  it('treats curly and straight quote marks, dashes and ellipses alike', () => {
    expect(checkCitation(transcript, evidence(2, "I'd split the data by time - not by user - because chargebacks arrive \"weeks\" later."))).toBeNull();
    expect(checkCitation(transcript, evidence(2, 'I’d split the data by time – not by user'))).toBeNull();
    expect(checkCitation(transcript, evidence(2, 'I would calibrate the scores...'))).toBeNull();
  });

  it('allows an ellipsis that marks where the quote was cut, at either end', () => {
    expect(checkCitation(transcript, evidence(4, '...keeps online and offline features...'))).toBeNull();
    expect(checkCitation(transcript, evidence(4, '… keeps online and offline features'))).toBeNull();
  });

  it('refuses a quote joined from two places with an ellipsis in the middle', () => {
    expect(checkCitation(transcript, evidence(4, 'A feature store ... features consistent.'))).toBe('quote_not_found');
  });

  it('refuses a real quote cited against the wrong candidate turn', () => {
    expect(checkCitation(transcript, evidence(2, 'A feature store keeps online and offline features consistent.'))).toBe('quote_not_found');
  });

  it("refuses the interviewer's turns, even when the words are there", () => {
    expect(checkCitation(transcript, evidence(1, 'I would split by time'))).toBe('not_candidate_turn');
  });

  it('refuses a turn that does not exist', () => {
    expect(checkCitation(transcript, evidence(9, 'A feature store keeps online and offline features consistent.'))).toBe('unknown_turn');
  });

  it('refuses a fabricated quote, including a paraphrase of what was said', () => {
    expect(checkCitation(transcript, evidence(4, 'We would use a feature store to avoid training-serving skew.'))).toBe('quote_not_found');
    expect(checkCitation(transcript, evidence(4, 'A feature store keeps online and offline data consistent.'))).toBe('quote_not_found');
  });

  it('refuses a quote too short to prove anything, counting the characters after normalising', () => {
    expect(checkCitation(transcript, evidence(4, 'feature'))).toBe('quote_too_short');
    expect(checkCitation(transcript, evidence(4, '...   store  ...'))).toBe('quote_too_short');
    expect(checkCitation(transcript, evidence(4, 'features'))).toBeNull();
  });
});

describe('checkCitations', () => {
  it('splits evidence into valid and invalid, keeping each problem', () => {
    const items = [evidence(4, 'keeps online and offline features'), evidence(1, 'I would split by time'), evidence(4, 'made-up sentence here')];
    const result = checkCitations(transcript, items);
    expect(result.valid).toEqual([items[0]]);
    expect(result.invalid).toEqual([
      { evidence: items[1], problem: 'not_candidate_turn' },
      { evidence: items[2], problem: 'quote_not_found' },
    ]);
  });
});

describe('citations and neutralised text', () => {
  it('never accepts the removal marker the pipeline puts in place of text aimed at the evaluator', () => {
    const graded = transcriptOf([
      ['interviewer', 'Go on.'],
      ['candidate', 'We label a sample by hand. [removed: text addressed to the evaluator, reported as an integrity flag] A few hundred labels suffice.'],
    ]);
    expect(checkCitation(graded, evidence(2, '[removed: text addressed to the evaluator, reported as an integrity flag]'))).toBe('quote_not_found');
    expect(checkCitation(graded, evidence(2, 'hand. [removed: text addressed'))).toBe('quote_not_found');
    // A quote may not bridge the removed text either: the two halves were never said together.
    expect(checkCitation(graded, evidence(2, 'by hand. A few hundred'))).toBe('quote_not_found');
    expect(checkCitation(graded, evidence(2, 'A few hundred labels suffice.'))).toBeNull();
  });
});

describe('normaliseForQuote and describeCitationProblem', () => {
  it('normalises typographic characters', () => {
    expect(normaliseForQuote('  “a”  ‘b’ c—d e–f g…\n h ')).toBe('"a" \'b\' c-d e-f g... h');
  });

  it('describes every problem in words', () => {
    const problems: CitationProblem[] = ['unknown_turn', 'not_candidate_turn', 'quote_not_found', 'quote_too_short'];
    const descriptions = problems.map(describeCitationProblem);
    expect(new Set(descriptions).size).toBe(problems.length);
    expect(describeCitationProblem('not_candidate_turn')).toMatch(/interviewer/);
    expect(describeCitationProblem('quote_too_short')).toMatch(/8 characters/);
  });
});

import { describe, expect, it } from 'vitest';
import { blindTranscript } from '../../src/evaluator/redaction.ts';
import type { Transcript } from '../../src/transcript/transcript.ts';
import { evaluateOffline, loadLabelled, transcriptOf } from './helpers.ts';

const textsOf = (transcript: Transcript) => blindTranscript(transcript).transcript.turns.map((turn) => turn.text);

describe('blindTranscript: names', () => {
  it('replaces every part of the name in the candidate block, in every turn, and empties the block', () => {
    const transcript = transcriptOf(
      [
        ['interviewer', 'Hello Emily Carter, welcome. Carter is a nice name.'],
        ['candidate', 'Thanks. Emily here: I would start with the labels.'],
      ],
      { candidate: { name: 'Emily Carter', pronouns: 'she/her', email: 'emily@example.com' } },
    );
    const blind = blindTranscript(transcript);
    expect(blind.transcript.turns.map((turn) => turn.text)).toEqual(['Hello [candidate], welcome. [candidate] is a nice name.', 'Thanks. [candidate] here: I would start with the labels.']);
    expect(blind.transcript.candidate).toEqual({});
    expect(blind.replacements).toBe(3);
  });

  it('replaces names with letters beyond ASCII and with apostrophes or hyphens', () => {
    const transcript = transcriptOf(
      [
        ['interviewer', 'Hi José, welcome. Ms Núñez, shall we start?'],
        ['candidate', 'Sure. Núñez is my family name.'],
        ['interviewer', "Thanks, Zoë. And thanks to O'Brien and Jean-Luc too."],
      ],
      { candidate: { name: "José Núñez Zoë O'Brien Jean-Luc" } },
    );
    expect(textsOf(transcript)).toEqual(['Hi [candidate], welcome. [candidate], shall we start?', 'Sure. [candidate] is my family name.', 'Thanks, [candidate]. And thanks to [candidate] and [candidate] too.']);
  });

  it('does not replace a name inside a longer word', () => {
    const transcript = transcriptOf([['interviewer', 'Hi Ann.'], ['candidate', 'Annual retraining, as Annie said.']], { candidate: { name: 'Ann' } });
    expect(textsOf(transcript)[1]).toBe('Annual retraining, as Annie said.');
  });

  it.each([
    ["Thanks! Quick intro: I'm Priya, I lead ranking.", "Thanks! Quick intro: I'm [candidate], I lead ranking."],
    ['I’m Priya Raman, and I lead ranking.', 'I’m [candidate], and I lead ranking.'],
    ['My name is Priya. I lead ranking.', 'My name is [candidate]. I lead ranking.'],
    ['Hello, this is Priya speaking.', 'Hello, this is [candidate] speaking.'],
    ['Call me Priya.', 'Call me [candidate].'],
  ])('finds the name a candidate introduces themself with: %j', (said, blinded) => {
    const transcript = transcriptOf([['interviewer', 'Welcome.'], ['candidate', said], ['candidate', 'Priya again: labels first.']]);
    expect(textsOf(transcript).slice(1)).toEqual([blinded, '[candidate] again: labels first.']);
  });

  it('does not take a capitalised technical word after "this is" or "I am" for a name', () => {
    const transcript = transcriptOf([['interviewer', 'Go on.'], ['candidate', 'Roughly this is Kafka based, and I am Confident it scales. Kafka is the bus.']]);
    expect(textsOf(transcript)[1]).toBe('Roughly this is Kafka based, and I am Confident it scales. Kafka is the bus.');
  });

  it('does not take names from introductions in interviewer turns', () => {
    const transcript = transcriptOf([['interviewer', "I'm Sam, and I'll be your interviewer."], ['candidate', 'Sam, I would start with the labels.']]);
    expect(textsOf(transcript)).toEqual(["I'm Sam, and I'll be your interviewer.", 'Sam, I would start with the labels.']);
  });

  it("finds the name in the interviewer's greetings, but not greetings that are not names", () => {
    const transcript = transcriptOf([
      ['interviewer', 'Hi Dana, thanks for joining. Good morning, everyone.'],
      ['candidate', 'Thanks! Dana is fine.'],
      ['interviewer', 'Great, Dana. Good Morning, by the way.'],
      ['candidate', 'Morning traffic peaks at 9.'],
    ]);
    expect(textsOf(transcript)).toEqual(['Hi [candidate], thanks for joining. Good morning, everyone.', 'Thanks! [candidate] is fine.', 'Great, [candidate]. Good Morning, by the way.', 'Morning traffic peaks at 9.']);
  });

  it('drops an honorific before a replaced name, which would reveal gender', () => {
    const transcript = transcriptOf([['interviewer', 'Thank you, Mrs. Carter, and Mr Carter too.'], ['candidate', 'Sure.']], { candidate: { name: 'Carter' } });
    expect(textsOf(transcript)[0]).toBe('Thank you, [candidate], and [candidate] too.');
  });
});

describe('blindTranscript: contact details', () => {
  it('replaces emails, links and phone numbers', () => {
    const transcript = transcriptOf([
      ['interviewer', 'Anything else?'],
      ['candidate', 'Send it to jane.doe+mlsd@example.co.uk or see https://example.com/me?x=1 and call +44 20 7946 0958, (555) 123-4567 or 555.123.4567.'],
    ]);
    expect(textsOf(transcript)[1]).toBe('Send it to [email] or see [link] and call [phone], [phone] or [phone].');
  });

  it('keeps the quantities a candidate reasons with: ranges, big numbers, dates and decimals', () => {
    const said = 'The p99 budget is 100 - 200 ms, ranges like 1.5 - 2.0 seconds, 3 000 000 users or 3000000000 requests a day, the 2024-01-15 launch, and 0.0012345678 as a rate.';
    const transcript = transcriptOf([['interviewer', 'Numbers?'], ['candidate', said]]);
    expect(textsOf(transcript)[1]).toBe(said);
    expect(blindTranscript(transcript).replacements).toBe(0);
  });
});

describe('blindTranscript: pronouns', () => {
  it('neutralises gendered pronouns in interviewer turns, her and his included', () => {
    const transcript = transcriptOf([
      ['interviewer', 'She said her design works. I asked her about it and told him the idea was his. He agreed; she did herself.'],
      ['candidate', 'She, the product manager, agreed with him.'],
    ]);
    expect(textsOf(transcript)).toEqual([
      'They said their design works. I asked them about it and told them the idea was theirs. They agreed; they did themself.',
      // The candidate may speak of other people; only the interviewer's words about the candidate are neutralised.
      'She, the product manager, agreed with him.',
    ]);
  });

  it('makes the he and she versions of an interviewer turn identical', () => {
    const she = transcriptOf([['interviewer', 'She asked a good question; I gave her the numbers, and her plan used them. The plan was hers.'], ['candidate', 'Ok.']]);
    const he = transcriptOf([['interviewer', 'He asked a good question; I gave him the numbers, and his plan used them. The plan was his.'], ['candidate', 'Ok.']]);
    expect(textsOf(she)).toEqual(textsOf(he));
  });
});

describe('blindTranscript: the ads-name-a / ads-name-b pair', () => {
  const a = loadLabelled('ads-name-a.json');
  const b = loadLabelled('ads-name-b.json');

  it('differ before blinding', () => {
    expect(a.candidate).not.toEqual(b.candidate);
    expect(a.turns.map((turn) => turn.text)).not.toEqual(b.turns.map((turn) => turn.text));
  });

  it('are identical after blinding, apart from the transcript id', () => {
    const blindA = blindTranscript(a);
    const blindB = blindTranscript(b);
    expect({ ...blindA.transcript, id: '' }).toEqual({ ...blindB.transcript, id: '' });
    expect(blindA.replacements).toBe(blindB.replacements);
    const text = JSON.stringify(blindA.transcript);
    for (const identifying of ['Emily', 'Carter', 'emily.carter@example.com', 'she/her']) expect(text).not.toContain(identifying);
  });

  it('get identical scorecards from the offline evaluator: ratings, evidence, recommendation and narrative', async () => {
    const [cardA, cardB] = await Promise.all([evaluateOffline(a), evaluateOffline(b)]).then((results) => results.map((result) => result.scorecard));
    if (!cardA || !cardB) throw new Error('no scorecards');
    expect(cardA.dimensions).toEqual(cardB.dimensions);
    expect(cardA.recommendation).toBe(cardB.recommendation);
    expect({ ...cardA, transcriptId: '' }).toEqual({ ...cardB, transcriptId: '' });
    expect(JSON.stringify(cardA)).not.toMatch(/Emily|Carter/);
  });
});

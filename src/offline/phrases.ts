import type { PhaseId } from '../interview/phases.ts';

/** What the offline interviewer says. Kept in one place so its voice stays consistent and reviewable. */
export const PHRASES = {
  // The guide's "Candidate experience": the format, clarifying questions and assumptions welcome, probing
  // to the edge of what the candidate knows is normal, and an honest "I'm not sure" is a good answer.
  opening: (name: string, opening: string, duration: string) =>
    `Hi${name}, thanks for joining. I'm an AI interviewer, and this is a machine learning system design interview: an open-ended problem with no single right answer. We'll go through five phases in about ${duration}: exploring the problem, a high-level design, a deep dive into two or three parts, trade-offs, and a wrap-up.\n\nAsk me clarifying questions at any time; where I have no answer, state an assumption and carry on. I'll sometimes keep probing until we reach the edge of what you know: that happens to everyone, and "I'm not sure, but I'd reason like this" is a good answer.\n\nHere is the problem: ${opening}\n\nWhere would you like to start?`,
  forcedMove: "We're out of time for that part, so let's move on.",
  alreadyRevealed: (answer: string) => `As I mentioned: ${answer}`,
  whatWouldYouAssume: "I don't have a firm answer for that one. What would you assume, and why?",
  anythingElse: 'What else would you want to know before you start designing?',
  frameIt: 'How would you frame this as a machine learning problem, and how would you measure success?',
  probeConcept: (concept: string, sentence: string) => `You said: "${truncate(sentence, 160)}" How would the ${concept} work here, concretely, and what could go wrong with it?`,
  deepDiveArea: (area: string, probe: string) => `Let's go deeper on ${area.charAt(0).toLowerCase()}${area.slice(1)}. ${probe}`,
  constraintChange: (prompt: string) => `Let's look at trade-offs. Suppose the situation changes: ${prompt}`,
  anotherChange: (prompt: string) => `Another change: ${prompt}`,
  rejectedAlternative: 'Which alternative design did you consider and reject, and why?',
  summary: (prompt: string) => `Let's wrap up. ${prompt}`,
  yourQuestions: 'Thank you. What questions do you have for me?',
  answerCandidateQuestion: "Thanks for asking. I'm an automated practice interviewer, so I can't speak for a particular team; a person can follow up on that with you.",
  closing: 'Thank you for your time today. That is the end of the interview: your scorecard with specific feedback will follow.',
} as const;

/** The first question when a phase starts without a more specific probe. */
export const PHASE_OPENERS: Readonly<Record<PhaseId, string>> = {
  problem_exploration: PHRASES.frameIt,
  high_level_design: "Let's move to the high-level design. Walk me through the main components and how data flows between them.",
  deep_dive: "Let's go deeper into the part of your design that matters most. Which component would you build most carefully, and how?",
  tradeoffs: 'Which alternative design did you consider and reject, and why?',
  wrap_up: 'Please summarise your design and its main risks in a couple of minutes.',
};

function truncate(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1).trimEnd()}…`;
}

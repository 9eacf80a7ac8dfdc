import type { PhaseId } from '../interview/phases.ts';

/** What the offline interviewer says. Kept in one place so its voice stays consistent and reviewable. */
export const PHRASES = {
  opening: (name: string, opening: string) =>
    `Hi${name}, thanks for joining. This is a machine learning system design interview: we'll explore the problem, sketch a design, go deep on a few parts, weigh trade-offs and wrap up. Think out loud and ask me anything you need.\n\nHere is the problem: ${opening}\n\nHow would you like to start?`,
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
  answerCandidateQuestion: "Good question. I'm an automated practice interviewer, so I can't speak for a particular team; a human interviewer can go into that with you.",
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

// Leave-one-out check of the offline interviewer's fact retrieval: each phrasing of each fact is taken
// out of the index and asked as a question. Usage: node evals/fact-retrieval.ts
import { FactRetriever } from '../src/offline/fact-retriever.ts';
import { loadResources } from '../src/resources.ts';

let total = 0;
let right = 0;
let wrong = 0;
const misses: string[] = [];
for (const card of loadResources().problems.values()) {
  for (const fact of card.facts) {
    for (const phrasing of fact.askedBy) {
      const facts = card.facts.map((other) => (other.id === fact.id ? { ...other, askedBy: other.askedBy.filter((text) => text !== phrasing) } : other));
      const found = new FactRetriever(facts, `${card.title} ${card.opening}`).match(`${phrasing}?`).map((other) => other.id);
      total += 1;
      if (found[0] === fact.id) right += 1;
      else {
        if (found.length > 0) wrong += 1;
        misses.push(`${card.id}: "${phrasing}" -> ${found.join(', ') || 'nothing'} (wanted ${fact.id})`);
      }
    }
  }
}
process.stdout.write(`${misses.join('\n')}\n\nleave-one-out: ${right}/${total} right (${((100 * right) / total).toFixed(1)}%), ${wrong} revealed a different fact, ${total - right - wrong} revealed nothing\n`);

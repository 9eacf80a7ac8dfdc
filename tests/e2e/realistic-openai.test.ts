import { describe } from 'vitest';
import { realisticProviderTest } from './realistic-provider.ts';

describe('a real-paced OpenAI-compatible model, end to end', () => realisticProviderTest('openai-compatible'));

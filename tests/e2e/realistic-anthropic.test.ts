import { describe } from 'vitest';
import { realisticProviderTest } from './realistic-provider.ts';

describe('a real-paced Anthropic model, end to end', () => realisticProviderTest('anthropic'));

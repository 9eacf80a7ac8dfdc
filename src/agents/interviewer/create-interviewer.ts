import type { AppConfig, ResolvedProvider } from '../../config.ts';
import type { InterviewerEngine } from '../../interview/engine.ts';
import { createModel, defaultModelFor } from '../../llm/create-model.ts';
import { OfflineInterviewer } from '../../offline/offline-interviewer.ts';
import type { Resources } from '../../resources.ts';
import { LlmInterviewer } from './llm-interviewer.ts';

export interface InterviewerEngines {
  readonly engine: InterviewerEngine;
  /** Always the offline engine: it takes over a turn when the provider fails. */
  readonly fallback: OfflineInterviewer;
  readonly llm: LlmInterviewer | null;
}

export function createInterviewer(config: AppConfig, resources: Resources, options: { provider?: ResolvedProvider; dumpOnly?: boolean } = {}): InterviewerEngines {
  const provider = options.provider ?? config.provider;
  const fallback = new OfflineInterviewer(resources.concepts);
  const model = createModel({ provider, modelId: defaultModelFor(provider, config, 'interviewer'), config, role: 'interviewer', ...(options.dumpOnly ? { dumpOnly: true } : {}) });
  if (!model) return { engine: fallback, fallback, llm: null };
  const llm = new LlmInterviewer({ model, prompts: resources.prompts, guide: resources.guide });
  return { engine: llm, fallback, llm };
}

import type { AppConfig, ResolvedProvider } from '../../config.ts';
import type { EvaluatorEngine } from '../../evaluator/evaluator-engine.ts';
import { OfflineEvaluator } from '../../evaluator/offline/offline-evaluator-engine.ts';
import { createModel, defaultModelFor } from '../../llm/create-model.ts';
import type { LanguageModel } from '../../llm/model.ts';
import { RecordingModel } from '../../llm/recording-model.ts';
import type { Resources } from '../../resources.ts';
import { LlmEvaluator } from './llm-evaluator.ts';

export interface EvaluatorOptions {
  readonly provider?: ResolvedProvider;
  readonly dumpOnly?: boolean;
  readonly record?: string;
  readonly replay?: string;
  /** A model to use instead of building one from the configuration (tests). */
  readonly model?: LanguageModel;
}

/** The evaluator for the configured (or given) provider; the offline heuristic when there is none. */
export function createEvaluator(config: AppConfig, resources: Resources, options: EvaluatorOptions = {}): EvaluatorEngine {
  const provider = options.provider ?? config.provider;
  let model = options.model ?? createModel({ provider, modelId: defaultModelFor(provider, config, 'evaluator'), config, role: 'evaluator', ...(options.dumpOnly || options.replay ? { dumpOnly: true } : {}) });
  if (!model) return new OfflineEvaluator({ guideVersion: resources.guide.version });
  if (options.record) model = new RecordingModel(model, { directory: options.record, mode: 'record' });
  else if (options.replay) model = new RecordingModel(model, { directory: options.replay, mode: 'replay' });
  return new LlmEvaluator({ model, prompts: resources.prompts, guide: resources.guide });
}

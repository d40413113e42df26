// @tokenformer/evaluator: lm-evaluation-harness-compatible evaluation of TokenFormer models.
export { TokenFormerLM, type TextScore, type LanguageModel, type LoglikelihoodRequest, type LoglikelihoodResult, type GenerateRequest, type TokenFormerLMOptions, type TokenRequest } from './lm.js';
export { rollingWindows, type TokenWindow } from './windows.js';
export { evaluate, scoreTask, resultsTable, paperTable, type EvaluateOptions, type EvaluationResults, type TaskData } from './evaluate.js';
export { mean, meanStderr, sampleStddev, perplexity, weightedPerplexity, bitsPerByte, bootstrapStderr, type Weighted } from './metrics.js';
export { PyRandom } from './pyRandom.js';
export { parseJsonl, rowsOf, type Row } from './jsonl.js';
export { pyCapitalize, codePointLength, pyWhitespaceSplitCount, utf8Length } from './pyText.js';
export * from './tasks/index.js';
export { EvaluatorError, TaskDataError } from './errors.js';
export { textPerplexity, tokenPerplexity, type PerplexityReport } from './perplexity.js';
export { buildCloze, type ClozeOptions } from './cloze.js';
export { generateFromText, stopIds, type TextGeneration, type TextGenerationOptions } from './textGeneration.js';
export { isUrl, loadFromUrl, type LoadOptions } from './load.js';
export { binaryF1, cbMultiF1, f1Of, matthewsCorrcoef, type Pair } from './classification.js';
export { exactMatch, maxOverGold, normalizeAnswer, tokenF1 } from './squad.js';
export { addGroupRows, expandTaskNames, pooledSampleStderr } from './groups.js';

// @tokenformer/trainer: what a training loop is made of. Backend-agnostic (tfjs-core peer).
export { AdamW, type AdamWOptions, type AdamWParam, type OptimizerState } from './adamw.js';
export { deserializeOptimizerState, serializeOptimizerState } from './optimizerFile.js';
export { clipByGlobalNorm } from './clip.js';
export { learningRateSchedule, type Schedule, type ScheduleOptions } from './schedule.js';
export { isNoDecay, TrainStep, type GrowFunction, type StepResult, type TokenBatch, type TrainStepOptions } from './trainStep.js';
export { NonFiniteError, TrainerConfigError, TrainerError } from './errors.js';
export { trainLoop, validationLoss, type LoopOptions, type StepEvent, type ValidationEvent } from './loop.js';
export { checkTrainingFits, trainingMemory, type TrainingMemory } from './memory.js';

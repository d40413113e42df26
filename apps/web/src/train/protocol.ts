// Messages between the training page and its worker.
import type { GrowRecord, RunState } from './session.js';
import type { TrainSettings } from './settings.js';
import type { TextFile } from './corpus.js';

export type Add = GrowRecord['add'];

export type ToWorker =
  | { type: 'start'; settings: TrainSettings; files: TextFile[]; pasted: string; checkpoint: TextFile[] }
  | { type: 'init'; storage: 'opfs' | 'indexeddb' }
  | { type: 'saved' }
  | { type: 'resume' }
  | { type: 'discard' }
  | { type: 'pause' }
  | { type: 'continue' }
  | { type: 'stop' }
  | { type: 'grow'; add: Add }
  | { type: 'sample'; prompt: string; maxNewTokens: number }
  | { type: 'download'; optimizer: boolean };

export interface StepMessage {
  type: 'step';
  step: number;
  steps: number;
  loss: number;
  lr: number;
  gradNorm: number;
  skipped: boolean;
  tokensPerSec: number;
  /** Seconds left at the recent pace. */
  eta: number;
  /** Live tensors after the step (flat in a healthy run). */
  numTensors: number;
}

export type FromWorker =
  | { type: 'backend'; backend: string; kernels: string[]; storage: string }
  | { type: 'phase'; text: string }
  | { type: 'saved'; run: { step: number; steps: number; backend: string } | null }
  | { type: 'started'; state: RunState; params: number; summary: string; resumed: boolean }
  | StepMessage
  | { type: 'valid'; step: number; loss: number }
  | { type: 'grow'; record: GrowRecord }
  | { type: 'checkpoint'; step: number }
  | { type: 'state'; state: 'training' | 'paused' | 'stopped' | 'done' }
  | { type: 'sample'; text: string }
  | { type: 'zip'; bytes: Uint8Array; name: string }
  | { type: 'error'; message: string };

// A task as data: how a JSONL row becomes requests, and how results become metrics, following the
// harness's task config (output type, doc_to_text / doc_to_target / doc_to_choice, metric_list).
import type { Row } from '../jsonl.js';
import type { LoglikelihoodRequest } from '../lm.js';

export type Aggregation = 'mean' | 'perplexity' | 'weighted_perplexity' | 'bits_per_byte' | 'matthews_corrcoef' | 'f1' | 'cb_multi_f1';

export interface MetricSpec {
  name: string;
  aggregation: Aggregation;
  higherIsBetter: boolean;
}

/** One loglikelihood request (LAMBADA). */
export interface LoglikelihoodDoc {
  kind: 'loglikelihood';
  request: LoglikelihoodRequest;
}

/** One request per choice; `choices` are the texts whose lengths acc_norm divides by. */
export interface MultipleChoiceDoc {
  kind: 'multiple_choice';
  requests: LoglikelihoodRequest[];
  choices: string[];
  gold: number;
  /** The task's own process_results (ReCoRD): metric values of the predicted choice. */
  score?: (pred: number) => Record<string, number>;
}

/** A whole text scored with rolling windows; words and bytes counted on the raw text. */
export interface RollingDoc {
  kind: 'loglikelihood_rolling';
  text: string;
  words: number;
  bytes: number;
}

export type TaskDoc = LoglikelihoodDoc | MultipleChoiceDoc | RollingDoc;

export interface Task {
  name: string;
  /** The harness task's `metadata.version`. */
  version: number;
  outputType: TaskDoc['kind'];
  /** The JSONL file the data directory must hold, and where users get it. */
  file: string;
  source: string;
  /** The fields each row must have (for the README and errors). */
  fields: string[];
  metrics: MetricSpec[];
  /** A row → the task's requests; throws TaskDataError naming the line and field. */
  toDoc(row: Row): TaskDoc;
}

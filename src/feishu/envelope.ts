import { FeishuError } from './errors.js';

/** The Feishu JSON envelope. */
export interface Envelope<T> {
  code?: number;
  msg?: string;
  data?: T;
}

/** The error for an answer that is not `code: 0`, or not an envelope at all. */
export function envelopeError(operation: string, body: unknown): FeishuError {
  if (!body || typeof body !== 'object' || typeof (body as Envelope<unknown>).code !== 'number') {
    return new FeishuError(operation, {
      httpStatus: 200,
      msg: 'answer is not a Feishu JSON envelope',
      kind: 'protocol',
    });
  }
  const { code, msg } = body as Envelope<unknown>;
  return new FeishuError(operation, { httpStatus: 200, feishuCode: code!, msg: msg ?? '' });
}

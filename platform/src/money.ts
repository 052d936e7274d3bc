import type { ValueTransformer } from 'typeorm';

/** DECIMAL columns come back from MySQL as strings; amounts in đồng fit a JS number exactly (< 2^53). */
export const decimalToNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null || value === undefined ? null : Number(value)),
};

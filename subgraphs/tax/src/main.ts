#!/usr/bin/env node
import { runSubgraphMain } from '@onestop/platform';
import { tax } from './index';

runSubgraphMain(tax).catch((error) => {
  console.error(error);
  process.exit(1);
});

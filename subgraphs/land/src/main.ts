#!/usr/bin/env node
import { runSubgraphMain } from '@onestop/platform';
import { land } from './index';

runSubgraphMain(land).catch((error) => {
  console.error(error);
  process.exit(1);
});

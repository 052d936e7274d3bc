#!/usr/bin/env node
import { runSubgraphMain } from '@onestop/platform';
import { civilStatus } from './index';

runSubgraphMain(civilStatus).catch((error) => {
  console.error(error);
  process.exit(1);
});

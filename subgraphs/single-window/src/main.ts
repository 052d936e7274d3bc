#!/usr/bin/env node
import { runSubgraphMain } from '@onestop/platform';
import { singleWindow } from './index';

runSubgraphMain(singleWindow).catch((error) => {
  console.error(error);
  process.exit(1);
});

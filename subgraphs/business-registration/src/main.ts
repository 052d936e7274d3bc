#!/usr/bin/env node
import { runSubgraphMain } from '@onestop/platform';
import { businessRegistration } from './index';

runSubgraphMain(businessRegistration).catch((error) => {
  console.error(error);
  process.exit(1);
});

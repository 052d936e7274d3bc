import { migrationTests } from '@onestop/platform/testing';
import { land } from '../index';

migrationTests(land);

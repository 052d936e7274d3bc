import { migrationTests } from '@onestop/platform/testing';
import { tax } from '../index';

migrationTests(tax);

import { migrationTests } from '@onestop/platform/testing';
import { civilStatus } from '../index';

migrationTests(civilStatus);

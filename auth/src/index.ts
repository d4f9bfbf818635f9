/**
 * Entry point of the auth process: reads its configuration and hands the auth service to
 * runService.
 */
import { createLogger, runService } from '@ticketing/common';
import { readConfig } from './config';
import { defineAuthService } from './service';

const logger = createLogger('auth');

runService(logger, () => defineAuthService(readConfig(), logger));

/**
 * Entry point of the expiration process: reads its configuration and hands the expiration service
 * to runService.
 */
import { createLogger, runService } from '@ticketing/common';
import { readConfig } from './config';
import { defineExpirationService } from './service';

const logger = createLogger('expiration');

runService(logger, () => defineExpirationService(readConfig(), logger));

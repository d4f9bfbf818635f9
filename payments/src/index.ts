/**
 * The payments process: reads the config and runs the service until SIGTERM/SIGINT.
 */
import { createLogger, runService } from '@ticketing/common';
import { readConfig } from './config';
import { definePaymentsService } from './service';

const logger = createLogger('payments');

runService(logger, () => definePaymentsService(readConfig(), logger));

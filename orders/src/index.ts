/**
 * Entry point of the orders process: reads its configuration and hands the orders service to
 * runService.
 */
import { createLogger, runService } from '@ticketing/common';
import { readConfig } from './config';
import { defineOrdersService } from './service';

const logger = createLogger('orders');

runService(logger, () => defineOrdersService(readConfig(), logger));

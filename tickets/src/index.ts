/**
 * Entry point of the tickets process: reads its configuration and hands the tickets service to
 * runService.
 */
import { createLogger, runService } from '@ticketing/common';
import { readConfig } from './config';
import { defineTicketsService } from './service';

const logger = createLogger('tickets');

runService(logger, () => defineTicketsService(readConfig(), logger));

import { createLogger, runService } from '@ticketing/common';
import { readConfig } from './config';
import { defineTicketsService } from './service';

const logger = createLogger('tickets');

runService(logger, () => defineTicketsService(readConfig(), logger));

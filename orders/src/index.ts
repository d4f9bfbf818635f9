import { createLogger, runService } from '@ticketing/common';
import { readConfig } from './config';
import { defineOrdersService } from './service';

const logger = createLogger('orders');

runService(logger, () => defineOrdersService(readConfig(), logger));

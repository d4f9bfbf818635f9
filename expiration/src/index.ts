import { createLogger, runService } from '@ticketing/common';
import { readConfig } from './config';
import { defineExpirationService } from './service';

const logger = createLogger('expiration');

runService(logger, () => defineExpirationService(readConfig(), logger));

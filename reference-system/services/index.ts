/**
 * The platform's HTTP services, one folder each, listed once here. The platform starts one server
 * per entry; the gateway's route table (gateway/routes.ts) says which public routes each one owns.
 */
import { Registry } from '../../core/index.ts';
import type { ServiceDescriptor } from '../shared/context.ts';
import { authService } from './auth/index.ts';
import { usersService } from './users/index.ts';
import { postsService } from './posts/index.ts';
import { commentsService } from './comments/index.ts';
import { searchService } from './search/index.ts';

export const SERVICES = new Registry<ServiceDescriptor>('service', [authService, usersService, postsService, commentsService, searchService]);
export const SERVICE_IDS = SERVICES.ids();

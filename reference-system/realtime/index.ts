/**
 * The platform's realtime half: chat (Socket.IO + HTTP history), notifications (RabbitMQ consumer),
 * presence and story cleanup. The platform (reference-system/platform.ts) starts chat instances and
 * one notifications worker with these functions; README.md describes the wire interface.
 */
export type { RealtimeOptions, RealtimeTuning } from './options.ts';
export { DEFAULT_TUNING, realtimeNames } from './options.ts';
export { startChatInstance, ChatInstanceBuilder, type ChatInstance } from './chat/chat-instance.ts';
export { startNotificationsWorker, NotificationsWorkerBuilder, type NotificationsWorker, type WorkerStats } from './notifications/worker.ts';
export type { StartedHandle } from '../../core/index.ts';
export { runStoryCleanup, cleanupExpiredStories, STORY_CLEANUP_BATCH, type StoryCleanupDeps, type StoryCleanupResult } from './stories/story-cleanup.ts';
export { newWireEvent, type WireEvent } from './amqp/event-wire.ts';
export { notificationTopology, allNotificationQueues, NOTIFICATION_EVENT_TYPES } from './amqp/topology.ts';
export { openConfirmPublisher, type ConfirmPublisher } from './amqp/publisher.ts';
export { MAX_BODY_CHARS, type SendAck, type SendError } from './chat/message-schema.ts';
export type { NewMessage } from './chat/message-send.ts';
export type { PushedNotification } from './notifications/store-and-push.ts';

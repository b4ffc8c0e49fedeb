/** The docker area's public surface: the images the docker provider and the compose file run. */
export { IMAGES } from './images.ts';

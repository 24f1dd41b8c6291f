export {
  THUMBNAIL_WIDTH,
  type ThumbnailOptions,
  thumbnail,
  thumbnailArgs,
  thumbnailPath,
  thumbnailTime,
} from './thumbnail.ts';

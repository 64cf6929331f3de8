export { ProfileJoin, type ProfileJoinOptions } from './profile-join';

// The convnet language.

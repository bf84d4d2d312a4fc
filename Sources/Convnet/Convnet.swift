// The convnet engine: see Layers/, Training/, Data/.

print("convnet-kernel: not built yet")

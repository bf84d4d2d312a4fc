print("convnet-bench: not built yet")

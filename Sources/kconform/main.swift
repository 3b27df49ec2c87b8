print("kconform")

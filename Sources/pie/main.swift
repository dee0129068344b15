print("pie")

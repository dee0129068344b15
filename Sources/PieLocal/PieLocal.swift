// PieLocal

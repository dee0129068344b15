// PieAgent

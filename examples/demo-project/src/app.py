def total(prices):
    # TODO: handle discounts
    return sum(prices)

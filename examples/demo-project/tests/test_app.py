import sys, os
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
from app import total

def test_total():
    assert total([1, 2, 3]) == 6

if __name__ == "__main__":
    test_total()
    print("1 passed, 0 failed")
